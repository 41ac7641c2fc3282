package io.herald.gateway.session;

/** What a transport tells the session of its connection. */
public interface ClientSession {

	/** A text frame from the client. */
	void receive(String text);

	/** A frame the protocol has no place for (binary), counted as a bad frame. */
	void receiveUnsupported(String what);

	/** Anything at all arrived from the client, a pong included. */
	void heard();

	/** The connection is closed, by the client, the network or the gateway. */
	void closed();

}
