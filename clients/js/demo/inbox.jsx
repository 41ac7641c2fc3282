// The demo inbox: <HeraldInbox/> from @herald/react, with React, bundled into one module. The token
// comes from the address's fragment (#token=...), which browsers never send to the server, so it
// stays out of access logs. The client is the one the gateway serves at /herald-client.js, loaded
// at run time: served from another origin than the gateway, the page names the gateway in the
// fragment (#gateway=https://...) and loads the client from there, as a web app on its own origin
// would.
import { HeraldInbox } from '@herald/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

const params = new URLSearchParams(location.hash.slice(1));
const gateway = params.get('gateway');
const token = params.get('token');
const root = createRoot(document.getElementById('inbox'));

if (!token) {
	root.render(<p className="herald-inbox__error" role="alert">
		No token: open this page as inbox.html#token=&lt;jwt&gt; (./platform up prints such a link).
	</p>);
}
else {
	const client = gateway ? `${new URL(gateway).origin}/herald-client.js` : new URL('../herald-client.js', import.meta.url).href;
	const { HeraldClient } = await import(client);
	// No storage: the page starts from the inbox page it shows, not from a stored seq.
	const herald = new HeraldClient({ url: gateway ?? undefined, token, transport: params.get('transport') ?? 'auto' });
	root.render(<StrictMode><HeraldInbox client={herald} title="Inbox" /></StrictMode>);
}
