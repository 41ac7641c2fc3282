package io.herald.delivery.receipt;

import io.herald.delivery.ledger.Listing;
import io.herald.delivery.provider.Send;
import io.herald.events.Channel;
import io.herald.events.JsonCodec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisStringCommands;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.types.Expiration;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Receipt references, in Redis: for each send of a channel that gets receipts, the
 * delivery it belongs to, under a reference the provider hands back with every receipt
 * (in the status callback's URL, in the bounce address). The reference is the send's
 * stable id ({@link Send#stableId()}, 32 hex digits): the same on every try of the send,
 * the one in the email's {@code Message-ID}, and no personal data.
 *
 * <p>
 * A reference is written once the send's ledger claim granted the send and before the
 * provider is called ({@link #expect}), so no receipt, however fast, can come before it,
 * and kept for {@link ReceiptProperties#retention()}; the claim itself lists it among the
 * user's references ({@link #listing}). A claim answered {@code done} or {@code busy}
 * touches neither: the reference keeps the time of the send it stands for. Keys:
 * {@code herald:receipt:<reference>} (the delivery, as JSON),
 * {@code herald:receipt:<reference>:<kind>} (a short lease while the receipt of that kind
 * is being recorded, then kept for the retention once it is: a repeated receipt changes
 * nothing), and {@code herald:receipts:{tenant:userId}} (the user's references, a set
 * kept as long as the newest of them, under the user's hash tag like the ledger's keys:
 * what an erasure finds). A receipt names only its reference, so the reference's own key
 * cannot carry the tenant; its value does, and nothing is written for any other.
 *
 * <p>
 * An erasure ({@link #erase}) turns each of the user's references into a tombstone that
 * holds nothing of the delivery, for the rest of its retention: a receipt that comes
 * later is {@link Lookup.Erased}, dropped and counted, never recorded.
 */
@Component
public class ReceiptReferences {

	private static final Logger logger = LoggerFactory.getLogger(ReceiptReferences.class);

	private static final String PREFIX = "herald:receipt:";

	/** What an erasure leaves of a reference: no JSON object, so no delivery. */
	private static final String ERASED = "erased";

	private static final List<String> KINDS = List.of("outcome", "complaint");

	private static final Pattern REFERENCE = Pattern.compile("[0-9a-f]{32}");

	private final StringRedisTemplate redis;

	private final ReceiptProperties properties;

	private final Set<Channel> channels;

	private final Clock clock;

	ReceiptReferences(StringRedisTemplate redis, ReceiptProperties properties, List<ReceiptChannel> channels,
			Clock clock) {
		this.redis = redis;
		this.properties = properties;
		this.channels = channels.isEmpty() ? EnumSet.noneOf(Channel.class)
				: EnumSet.copyOf(channels.stream().map(ReceiptChannel::channel).toList());
		this.clock = clock;
	}

	/** The receipt reference of a send. */
	public static String of(Send send) {
		return send.stableId().replace("-", "");
	}

	/** Whether {@code text} has the shape of a reference: 32 lower-case hex digits. */
	public static boolean isReference(@Nullable String text) {
		return text != null && REFERENCE.matcher(text).matches();
	}

	/** Whether the sends of a channel get receipts. */
	public boolean expected(Channel channel) {
		return this.channels.contains(channel);
	}

	/**
	 * The send's entry in its user's set of references, which the send's ledger claim
	 * adds when, and only when, it grants the send
	 * ({@link io.herald.delivery.ledger.SendLedger#claim(String, Listing)}): the set is
	 * under the user's hash tag, in the slot of the send's ledger key.
	 */
	public Listing listing(Send send) {
		var notification = send.notification();
		return new Listing(indexKey(notification.tenant(), notification.userId()), of(send),
				this.properties.retention());
	}

	/**
	 * Writes the send's reference, if its channel gets receipts: one {@code SET ... PX},
	 * once the send's ledger claim granted it ({@link #listing}) and before the provider
	 * is called. A send the ledger answered {@code done} or {@code busy} for must not
	 * call this: the reference of the send made, or being made, keeps its time.
	 * @throws org.springframework.dao.DataAccessException when Redis fails: the send must
	 * then not be made
	 */
	public void expect(Send send) {
		if (!expected(send.channel())) {
			return;
		}
		ReceiptTarget target = ReceiptTarget.of(send, this.clock.instant());
		this.redis.opsForValue()
			.set(PREFIX + of(send), JsonCodec.MAPPER.writeValueAsString(target),
					Expiration.milliseconds(this.properties.retention().toMillis()));
	}

	/**
	 * The delivery of a reference: {@link Lookup.Known}, {@link Lookup.Erased} when its
	 * user was erased, or {@link Lookup.Unknown} for one Herald did not hand out, or no
	 * longer keeps.
	 */
	Lookup find(String reference) {
		if (!isReference(reference)) {
			return Lookup.UNKNOWN;
		}
		String json = this.redis.opsForValue().get(PREFIX + reference);
		if (json == null) {
			return Lookup.UNKNOWN;
		}
		if (ERASED.equals(json)) {
			return Lookup.ERASED;
		}
		try {
			return new Lookup.Known(JsonCodec.MAPPER.readValue(json, ReceiptTarget.class));
		}
		catch (JacksonException ex) {
			logger.warn("Unreadable receipt reference {}: {}", reference, ex.getMessage());
			return Lookup.UNKNOWN;
		}
	}

	/**
	 * Forgets the deliveries of a user's references (GDPR erasure): each becomes a
	 * tombstone for the rest of its retention, its marks of recorded receipts go, and so
	 * does the user's set of references. Erasing again is harmless. A send made while the
	 * erasure runs may write its reference after it (as it may write its ledger record).
	 * @return how many references were erased
	 */
	public long erase(String tenant, String userId) {
		String index = indexKey(tenant, userId);
		Set<String> references = this.redis.opsForSet().members(index);
		if (references == null || references.isEmpty()) {
			return 0;
		}
		this.redis.executePipelined((RedisCallback<@Nullable Object>) (connection) -> {
			for (String reference : references) {
				connection.stringCommands()
					.set(bytes(PREFIX + reference), bytes(ERASED), Expiration.keepTtl(),
							RedisStringCommands.SetOption.ifPresent());
				for (String kind : KINDS) {
					connection.keyCommands().del(bytes(PREFIX + reference + ":" + kind));
				}
			}
			connection.keyCommands().del(bytes(index));
			return null;
		});
		return references.size();
	}

	/**
	 * Claims the recording of a reference's receipt of one kind, for a lease of twice
	 * {@link ReceiptProperties#writeTimeout()}: a recording that never ends (the process
	 * was killed) lets the receipt be recorded again once the lease is over.
	 * @return {@code false} when it was recorded before, or is being recorded
	 */
	boolean claim(String reference, String kind) {
		Boolean set = this.redis.opsForValue()
			.setIfAbsent(PREFIX + reference + ":" + kind, "1", this.properties.writeTimeout().multipliedBy(2));
		return Boolean.TRUE.equals(set);
	}

	/**
	 * Turns a claim into the mark of a recorded receipt, kept for
	 * {@link ReceiptProperties#retention()}; called once its records are durable.
	 */
	void recorded(String reference, String kind) {
		this.redis.opsForValue().set(PREFIX + reference + ":" + kind, "1", this.properties.retention());
	}

	/** Gives a claim back after its receipt could not be recorded. */
	void release(String reference, String kind) {
		this.redis.delete(PREFIX + reference + ":" + kind);
	}

	private static String indexKey(String tenant, String userId) {
		return "herald:receipts:{" + tenant + ":" + userId + "}";
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/** What a reference stands for. */
	sealed interface Lookup {

		/** No delivery Herald knows: never handed out, expired, or unreadable. */
		Lookup UNKNOWN = new Unknown();

		/** The reference of a user erased since. */
		Lookup ERASED = new Erased();

		/** The delivery of a reference. */
		record Known(ReceiptTarget target) implements Lookup {
		}

		/** The reference of a user erased since: nothing of the delivery is kept. */
		record Erased() implements Lookup {
		}

		/** No delivery Herald knows. */
		record Unknown() implements Lookup {
		}

	}

}
