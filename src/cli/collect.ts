// Placeholder until the collect command lands.
import { IncompleteError } from '../errors.js';

export async function runCollect(): Promise<number> {
  throw new IncompleteError('collect is not available yet');
}
