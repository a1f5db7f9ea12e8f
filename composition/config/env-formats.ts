/**
 * The formats the variables' schemas name (variables.ts), for the ajv that read-env.ts compiles with
 * and for the validator precompiled into the production bundle (precompile.ts), which requires this
 * module for them.
 */
import type { Format } from 'ajv';
import { fullFormats } from 'ajv-formats/dist/formats.js';

/**
 * Whether Intl knows the zone. The canonical names are listed without formatting anything; any other
 * (an alias such as UTC or Asia/Calcutta) is tried on a formatter, whose first construction costs
 * ~50 ms on one core (ICU's date patterns), which a start with a canonical zone never pays.
 */
function isTimeZone(zone: string): boolean {
  if (Intl.supportedValuesOf('timeZone').includes(zone)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function isBase64Of32Bytes(value: string): boolean {
  const decoded = Buffer.from(value, 'base64');
  return decoded.length === 32 && decoded.toString('base64') === value;
}

export const ENV_FORMATS: Readonly<Record<string, Format>> = {
  uri: fullFormats.uri,
  'iana-time-zone': { type: 'string', validate: isTimeZone },
  'base64-32-bytes': { type: 'string', validate: isBase64Of32Bytes },
  'base64-32-bytes-list': { type: 'string', validate: (list: string) => list.split(',').every((key) => isBase64Of32Bytes(key.trim())) },
  'secret-list': { type: 'string', validate: (list: string) => list.split(',').every((secret) => secret.trim().length >= 32) },
};
