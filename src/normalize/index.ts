export { normalizeEmail } from './email.js';
export { normalizePhone } from './phone.js';
export { nameKey, nameTokens, namesSimilar, tokensSimilar, editDistance } from './names.js';
export { valueKey, identityKeys, textKey, type KeyOptions, type IdentityKeys } from './keys.js';
