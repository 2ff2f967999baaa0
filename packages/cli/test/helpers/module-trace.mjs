// Preloaded with `node --import` by the start-up tests: records the URL of every module loaded
// (ES modules and CommonJS alike) and writes the list to $CAREOS_MODULE_TRACE on exit.
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const loaded = [];
registerHooks({
  load(url, context, next) {
    loaded.push(url);
    return next(url, context);
  },
});
process.on('exit', () => writeFileSync(process.env.CAREOS_MODULE_TRACE, loaded.join('\n')));
