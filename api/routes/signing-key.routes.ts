import { Router } from 'express';
import type { SigningKeyStore } from '../data-access/signing-key-store';
import { methodNotAllowed } from '../middleware/error-handler';

/**
 * `GET /v1/signing-key`: the installation's report-signing public keys (public, no credentials), as
 * `{ keys: [{ key_id, algorithm: 'Ed25519', public_key_pem, first_seen, last_seen }] }`, most recently used
 * first. A report's `signature.key_id` names the key that signed it; save this document (or one key's PEM)
 * and pass it to `stackgrade report verify --public-key`.
 */
export function signingKeyRouter(keys: SigningKeyStore): Router {
  const router = Router();
  router
    .route('/v1/signing-key')
    .get(async (_req, res) => {
      const docs = await keys.list();
      res.set('Cache-Control', 'public, max-age=300').json({
        keys: docs.map((d) => ({
          key_id: d._id,
          algorithm: d.algorithm,
          public_key_pem: d.public_key_pem,
          first_seen: d.first_seen.toISOString(),
          last_seen: d.last_seen.toISOString(),
        })),
      });
    })
    .all(methodNotAllowed('GET'));
  return router;
}
