// Pages without live parts (log in, register, credentials): the language switch only.
import { startPage } from './common.js';

startPage();
