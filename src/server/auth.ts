// The optional API key: hono's bearerAuth (constant-time comparison) with every refusal answered
// as the hosted APIs do, 401 and `{ error: { message, type, code: 'invalid_api_key' } }`.

import type { Env, MiddlewareHandler } from 'hono'
import { bearerAuth } from 'hono/bearer-auth'
import type { FetchHandlerOptions } from '../http/index.js'
import { HTTP_DEFAULTS } from '../http/options.js'
import { fail } from '../api/validate.js'
import { addHeaders, corsHeaders, errorResponse } from '../http/responses.js'

/**
 * Refuses requests without `Authorization: Bearer <apiKey>`. CORS preflights pass (browsers send
 * them without credentials), and refusals carry the handler's CORS headers so a page can read them.
 */
export function apiKeyAuth(apiKey: string, cors: FetchHandlerOptions['cors']): MiddlewareHandler<Env> {
  const refuse = (message: string) => ({
    // A function of the request, so the CORS headers answer the request's own Origin.
    message: (c: { req: { raw: Request } }) =>
      addHeaders(errorResponse(fail('invalid_api_key', message)), corsHeaders(c.req.raw, cors ?? HTTP_DEFAULTS.cors)),
  })
  const check = bearerAuth({
    token: apiKey,
    noAuthenticationHeader: refuse('no API key: send it as "Authorization: Bearer <key>".'),
    // hono answers 400 for a header that is not "Bearer <token>"; hosted APIs answer 401.
    invalidAuthenticationHeader: refuse('the Authorization header must be "Bearer <key>".'),
    invalidToken: refuse('incorrect API key.'),
  })
  return (c, next) => (c.req.method === 'OPTIONS' ? next() : check(c, next))
}
