/**
 * Messages the embedded candidate flow posts to its host page (`window.parent.postMessage`). Every
 * message has `source: 'stackgrade'`. They are posted with the host's origin from the embed token as
 * `targetOrigin`, so no other page that frames the flow receives them; a host must still check
 * `event.origin` against its Stackgrade origin (docs/embed.md).
 */
export type EmbedMessage =
  | { source: 'stackgrade'; type: 'started'; challenge_id: string }
  | { source: 'stackgrade'; type: 'submitted'; challenge_id: string; submission_id: string }
  | {
      source: 'stackgrade';
      type: 'completed';
      challenge_id: string;
      submission_id: string;
      status: 'completed' | 'error';
      scores: { overall: number; categories: Record<string, number> } | null;
    };

/** Posts a message to the host page at `parentOrigin`; nothing when the page is not framed. */
export function postToHost(message: EmbedMessage, parentOrigin: string): void {
  if (window.parent === window) return;
  window.parent.postMessage(message, parentOrigin);
}
