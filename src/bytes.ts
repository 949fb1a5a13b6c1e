/**
 * The most read from a stream that nothing bounds: standard input, or a pipe or device given
 * as a file (a shell's <(…)). Far more than any client file, key set or secret, and a bound
 * on one that never ends (< /dev/zero), which would otherwise fill memory.
 */
export const MAX_STREAM_BYTES = 64 * 1024 * 1024;

/**
 * Reads a byte stream whole, but never more than `limit` bytes of it: resolves with
 * undefined, having cancelled the stream, as soon as it holds more. For input whose size
 * nothing bounds: a chunked HTTP body, standard input (which may be /dev/zero).
 */
export async function readAtMost(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array | undefined> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const whole = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    whole.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return whole;
}
