package io.herald.delivery.receipt;

import io.herald.events.Channel;

import java.util.Objects;

/**
 * Declares that the sends of a channel get receipts, so that each is given a receipt
 * reference before its provider is called: a bean the channel's configuration declares
 * when its receipts are configured (Twilio status callbacks, a bounce address).
 *
 * @param channel the channel
 */
public record ReceiptChannel(Channel channel) {

	public ReceiptChannel {
		Objects.requireNonNull(channel, "channel");
	}

}
