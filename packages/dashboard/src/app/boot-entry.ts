// Entry of the `boot-<hash>.js` asset (see boot.ts): index.html loads it before the app bundle.
import { bootPrefetch } from './boot.js';

bootPrefetch();
