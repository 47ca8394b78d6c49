/** The sources' fingerprint the build records (see fingerprint.mjs). */
export function sourceFingerprint(root: string): string;
