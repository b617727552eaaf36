/** An archive the API accepts, by the file's name: zip, or tar.gz (also `.tgz`). */
export type ArchiveKind = 'zip' | 'tar.gz';

/** The outcome of {@link checkUpload}: the media type to send, or a message for the candidate. */
export type UploadCheck = { ok: true; kind: ArchiveKind; mediaType: string } | { ok: false; message: string };

/** Formats bytes for people: `512 bytes`, `4.0 KiB`, `5.0 MiB` (IEC binary prefixes). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

/**
 * Checks a chosen file before it is uploaded: a `.zip`, `.tar.gz` or `.tgz` name, not empty, at most
 * `maxBytes`. The API checks again (and reads the archive); this only spares a doomed upload.
 */
export function checkUpload(file: { name: string; size: number }, maxBytes: number): UploadCheck {
  const name = file.name.toLowerCase();
  const kind: ArchiveKind | null = name.endsWith('.zip')
    ? 'zip'
    : name.endsWith('.tar.gz') || name.endsWith('.tgz')
      ? 'tar.gz'
      : null;
  if (!kind)
    return {
      ok: false,
      message: `${file.name} is not a .zip, .tar.gz or .tgz archive. Pack your service's folder (with its dependency manifest at its root) as one of these.`,
    };
  if (file.size === 0) return { ok: false, message: `${file.name} is empty.` };
  if (file.size > maxBytes)
    return {
      ok: false,
      message: `${file.name} is ${formatBytes(file.size)}; the limit is ${formatBytes(maxBytes)}. Leave node_modules and build output out of the archive.`,
    };
  return { ok: true, kind, mediaType: kind === 'zip' ? 'application/zip' : 'application/gzip' };
}
