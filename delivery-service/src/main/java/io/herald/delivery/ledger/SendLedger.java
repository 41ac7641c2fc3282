package io.herald.delivery.ledger;

import io.herald.support.redis.LuaScripts;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The idempotency record of every send, in Redis, consulted and written before a provider
 * is called, so that a redelivered or retried request never reaches a provider twice for
 * a send that is known to be done.
 *
 * <p>
 * A send moves from absent to {@code pending} ({@link #claim}) to {@code done}
 * ({@link #complete}), or back to absent after a temporary failure ({@link #release}).
 * Keys are {@code herald:send:{tenant:userId}:<send>}, under the user's hash tag like
 * every per-user key. A claim may also list the send in a set of its user's, under the
 * same hash tag, in its own script and only when it grants the send ({@link Listing}):
 * that is how a send's receipt reference joins the user's references.
 *
 * <p>
 * An outcome that could not be recorded (Redis down, its answer lost) stays in this
 * process until it is: every later claim writes such outcomes first, and a claim of the
 * same send answers {@link Claim.Done} with it, so a send whose outcome this process
 * knows is never made again because Redis missed it. An SMS, which no phone collapses,
 * would otherwise go out twice after a Redis restart. A thread of the ledger's also tries
 * to write them every {@link #RECORD_INTERVAL}, so that they reach Redis within the lease
 * even when this process makes no more claims (its lanes moved to another instance, which
 * would otherwise take the send over once the lease ran out).
 *
 * <p>
 * The one window this cannot close is a crash of this process between the provider's
 * acceptance and {@link #complete}: the next claim after the lease answers
 * {@link Claim.Ambiguous}, and the send goes out again with the same stable ids (APNs
 * {@code apns-id} and collapse id, FCM collapse key and tag, email {@code Message-ID}),
 * which devices and mailboxes collapse into one.
 */
@Component
public class SendLedger implements DisposableBean {

	/** How often kept outcomes are tried again without a claim. */
	static final Duration RECORD_INTERVAL = Duration.ofSeconds(1);

	private static final Logger logger = LoggerFactory.getLogger(SendLedger.class);

	private static final RedisScript<List> CLAIM = LuaScripts.load("ledger-claim.lua", List.class);

	private static final RedisScript<Long> COMPLETE = LuaScripts.load("ledger-complete.lua", Long.class);

	private static final RedisScript<Long> RELEASE = LuaScripts.load("ledger-release.lua", Long.class);

	private final StringRedisTemplate redis;

	private final LedgerProperties properties;

	/**
	 * This worker, in every claim it makes: a new id per process, so a restart never
	 * inherits a lease.
	 */
	private final String owner = UUID.randomUUID().toString();

	/**
	 * Outcomes this process knows and Redis does not yet, by ledger key: only sends that
	 * were under way when Redis stopped answering, as no claim succeeds without it.
	 */
	private final Map<String, LedgerOutcome> unrecorded = new ConcurrentHashMap<>();

	/** Writes kept outcomes now and then; idle while none is kept. */
	private final ScheduledExecutorService recorder = Executors
		.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("send-ledger-recorder").daemon(true).factory());

	SendLedger(StringRedisTemplate redis, LedgerProperties properties) {
		this.redis = redis;
		this.properties = properties;
		this.recorder.scheduleWithFixedDelay(this::recordKept, RECORD_INTERVAL.toMillis(), RECORD_INTERVAL.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	@Override
	public void destroy() {
		this.recorder.shutdownNow();
	}

	private void recordKept() {
		if (this.unrecorded.isEmpty()) {
			return;
		}
		try {
			recordUnrecorded("");
			logger.info("Recorded the outcomes of sends that Redis had missed");
		}
		catch (RuntimeException ex) {
			logger.debug("Redis does not take the kept outcomes yet: {}", ex.toString());
		}
	}

	/** The ledger key of a send. */
	public static String key(String tenant, String userId, String sendKey) {
		return userPrefix(tenant, userId) + sendKey;
	}

	/** Asks to send; see {@link Claim} for what the caller must do with each answer. */
	public Claim claim(String ledgerKey) {
		Claim known = recordUnrecorded(ledgerKey);
		if (known != null) {
			return known;
		}
		return answer(this.redis.execute(CLAIM, List.of(ledgerKey), this.owner,
				Long.toString(this.properties.lease().toMillis()),
				Long.toString(this.properties.retention().toMillis())));
	}

	/**
	 * Asks to send and, in the same script, adds the send's entry to a set of its user's
	 * when the claim grants the send ({@link Claim.Claimed} or {@link Claim.Ambiguous});
	 * a {@link Claim.Busy} or {@link Claim.Done} answer leaves the set as it was. One
	 * round trip, in the slot of the user's hash tag.
	 * @throws IllegalArgumentException when the set is not under the ledger key's hash
	 * tag: on a Redis Cluster the script could not reach both
	 */
	public Claim claim(String ledgerKey, Listing listing) {
		if (!hashTag(listing.set()).equals(hashTag(ledgerKey))) {
			throw new IllegalArgumentException(
					"the set " + listing.set() + " is not under the hash tag of the ledger key " + ledgerKey);
		}
		Claim known = recordUnrecorded(ledgerKey);
		if (known != null) {
			return known;
		}
		return answer(this.redis.execute(CLAIM, List.of(ledgerKey, listing.set()), this.owner,
				Long.toString(this.properties.lease().toMillis()),
				Long.toString(this.properties.retention().toMillis()), listing.member(),
				Long.toString(listing.retention().toMillis())));
	}

	private static Claim answer(List<?> answer) {
		String kind = (String) answer.get(0);
		return switch (kind) {
			case "claimed" -> new Claim.Claimed();
			case "done" -> new Claim.Done(LedgerOutcome.fromJson((answer.size() > 1) ? (String) answer.get(1) : null));
			case "busy" -> new Claim.Busy(Long.parseLong((String) answer.get(1)));
			case "ambiguous" -> new Claim.Ambiguous((answer.size() > 1) ? String.valueOf(answer.get(1)) : "");
			default -> throw new IllegalStateException("unexpected ledger answer " + answer);
		};
	}

	/**
	 * Records the final outcome of a claimed send. When Redis does not take it, this
	 * process keeps it and writes it before its next claim; the exception still reaches
	 * the caller, whose outputs wait for the record.
	 */
	public void complete(String ledgerKey, LedgerOutcome outcome) {
		try {
			write(ledgerKey, outcome);
		}
		catch (RuntimeException ex) {
			this.unrecorded.put(ledgerKey, outcome);
			throw ex;
		}
	}

	/**
	 * Writes the outcomes Redis missed, each then forgotten here.
	 * @return {@link Claim.Done} when one of them was the given send's, else {@code null}
	 * @throws RuntimeException when Redis still does not take them
	 */
	private @Nullable Claim recordUnrecorded(String ledgerKey) {
		Claim known = null;
		for (Map.Entry<String, LedgerOutcome> entry : this.unrecorded.entrySet()) {
			write(entry.getKey(), entry.getValue());
			this.unrecorded.remove(entry.getKey(), entry.getValue());
			if (entry.getKey().equals(ledgerKey)) {
				known = new Claim.Done(entry.getValue());
			}
		}
		return known;
	}

	private void write(String ledgerKey, LedgerOutcome outcome) {
		this.redis.execute(COMPLETE, List.of(ledgerKey), outcome.toJson(),
				Long.toString(this.properties.retention().toMillis()));
	}

	/** Gives a claimed send back after a temporary failure. */
	public void release(String ledgerKey) {
		this.redis.execute(RELEASE, List.of(ledgerKey), this.owner);
	}

	/**
	 * Forgets every send of a user (GDPR erasure), and the outcomes of theirs this
	 * process has not recorded yet. Scans the keyspace for the user's prefix: erasures
	 * are rare, and the ledger keeps no index that would cost a write per send.
	 * @return how many records were deleted
	 */
	public long erase(String tenant, String userId) {
		String prefix = userPrefix(tenant, userId);
		this.unrecorded.keySet().removeIf((ledgerKey) -> ledgerKey.startsWith(prefix));
		List<String> keys = new ArrayList<>();
		String pattern = escapeGlob(prefix) + "*";
		try (Cursor<String> cursor = this.redis.scan(ScanOptions.scanOptions().match(pattern).count(1000).build())) {
			cursor.forEachRemaining(keys::add);
		}
		return keys.isEmpty() ? 0 : this.redis.delete(keys);
	}

	private static String userPrefix(String tenant, String userId) {
		return "herald:send:{" + tenant + ":" + userId + "}:";
	}

	private static String escapeGlob(String text) {
		return text.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
	}

	/**
	 * The hash tag of a key, as Redis Cluster finds it: what is between the first opening
	 * brace and the first closing brace after it, when that is not empty; else the whole
	 * key.
	 */
	private static String hashTag(String key) {
		int open = key.indexOf('{');
		int close = (open >= 0) ? key.indexOf('}', open + 1) : -1;
		return (close > open + 1) ? key.substring(open + 1, close) : key;
	}

}
