import { afterAll } from 'vitest';
import { removeTestStorage } from './config';

// Every test file's bots store files in temporary folders; remove them once the file is done
// (registered first, so it runs after the file's own afterAll hooks).
afterAll(() => removeTestStorage());
