/* The shapes of a secret that no output, log or file of a run may hold (secrets.test.ts, the --trace tests). */
export const JWT = /eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}/;
export const ACCESS_TOKEN = /00D\w{12,15}![\w.]{20,}/;
// A private key's BEGIN line with a key body after it (any key, not only the suite's own: those are also matched by
// their body). A BEGIN line alone, as the fix texts show it ("it starts with -----BEGIN PRIVATE KEY-----"), is
// no secret.
export const PEM_PRIVATE = /-----BEGIN (?:RSA |EC |ENCRYPTED |OPENSSH )?PRIVATE KEY-----(?:\s|\\[nr])*(?:[A-Za-z0-9+/]{16}|Proc-Type:)/;
