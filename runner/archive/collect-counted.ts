/** What {@link collectCounted} needs of a stream: a Node.js Readable or a streamx one (tar-stream entries). */
export interface ChunkSource {
  on(event: 'data', listener: (chunk: unknown) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  on(event: 'error', listener: (err: unknown) => void): unknown;
  destroy(): unknown;
}

/**
 * Reads a stream to the end into one Buffer, passing each chunk's length (bytes) to `count` before keeping
 * it; when `count` throws (a size limit, see FileSetBuilder.fileCounter) the stream is destroyed and the
 * promise rejects with that error. Also rejects on a stream error.
 */
export function collectCounted(stream: ChunkSource, count: (chunkBytes: number) => void): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let done = false;
    const fail = (err: unknown): void => {
      if (done) return;
      done = true;
      stream.destroy();
      reject(err);
    };
    stream.on('data', (data) => {
      if (done) return;
      const chunk = data as Buffer;
      try {
        count(chunk.length);
      } catch (err) {
        fail(err);
        return;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks));
    });
    stream.on('error', fail);
  });
}
