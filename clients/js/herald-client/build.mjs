// Builds dist/: the gateway's herald-client.js as it is (the one source of the client, which the
// gateway also serves at /herald-client.js) and the hand-written declarations beside it.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';

const dist = new URL('./dist/', import.meta.url);
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist);
copyFileSync(new URL('../../../websocket-gateway/src/main/resources/static/herald-client.js', import.meta.url),
	new URL('herald-client.js', dist));
copyFileSync(new URL('./index.d.ts', import.meta.url), new URL('index.d.ts', dist));
