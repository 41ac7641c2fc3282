package io.herald.ingestion.webhook;

import io.herald.events.DeliveryState;
import io.herald.infra.SteppedClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The dispatcher's view of the endpoints: at most a second old, and at once after a
 * change made here.
 */
class EndpointCacheTests {

	private final SteppedClock clock = new SteppedClock(Instant.parse("2026-11-22T10:00:00Z"));

	private final Map<String, List<WebhookEndpoint>> stored = new ConcurrentHashMap<>();

	private final List<String> reads = new ArrayList<>();

	private final EndpointCache cache = new EndpointCache((tenant) -> {
		this.reads.add(tenant);
		return this.stored.getOrDefault(tenant, List.of());
	}, this.clock);

	@Test
	void aTenantIsReadOnceASecondHoweverManyStatusesItHas() {
		this.stored.put("acme", List.of(endpoint("ep_1")));
		for (int i = 0; i < 1000; i++) {
			assertThat(this.cache.endpoints("acme")).extracting(WebhookEndpoint::id).containsExactly("ep_1");
			this.clock.step(Duration.ofNanos(999_000));
		}
		assertThat(this.reads).containsExactly("acme");
		this.clock.step(Duration.ofMillis(2));
		this.cache.endpoints("acme");
		assertThat(this.reads).containsExactly("acme", "acme");
	}

	@Test
	void aTenantWithoutEndpointsIsReadOnceASecondToo() {
		assertThat(this.cache.endpoints("globex")).isEmpty();
		assertThat(this.cache.endpoints("globex")).isEmpty();
		assertThat(this.reads).containsExactly("globex");
	}

	@Test
	void aChangeMadeElsewhereIsSeenWithinASecond() {
		assertThat(this.cache.endpoints("acme")).isEmpty();
		this.stored.put("acme", List.of(endpoint("ep_1")));
		this.clock.step(Duration.ofMillis(999));
		assertThat(this.cache.endpoints("acme")).as("read 999 ms ago").isEmpty();
		this.clock.step(Duration.ofMillis(1));
		assertThat(this.cache.endpoints("acme")).as("read a second ago")
			.extracting(WebhookEndpoint::id)
			.containsExactly("ep_1");
	}

	@Test
	void aChangeMadeHereIsSeenAtOnce() {
		assertThat(this.cache.endpoints("acme")).isEmpty();
		this.stored.put("acme", List.of(endpoint("ep_1")));
		this.cache.invalidate("acme");
		assertThat(this.cache.endpoints("acme")).extracting(WebhookEndpoint::id).containsExactly("ep_1");
		this.stored.remove("acme");
		this.cache.invalidate("acme");
		assertThat(this.cache.endpoints("acme")).isEmpty();
		assertThat(this.reads).hasSize(3);
	}

	@Test
	void aReadOverlappingAChangeIsNotKept() {
		this.stored.put("acme", List.of(endpoint("ep_old")));
		EndpointCache[] racing = new EndpointCache[1];
		racing[0] = new EndpointCache((tenant) -> {
			List<WebhookEndpoint> read = this.stored.get(tenant);
			// The endpoint is deleted, and the cache told, while this read is under way.
			this.stored.put(tenant, List.of());
			racing[0].invalidate(tenant);
			return read;
		}, this.clock);
		assertThat(racing[0].endpoints("acme")).extracting(WebhookEndpoint::id).containsExactly("ep_old");
		assertThat(racing[0].size()).as("the read may predate the change: not kept").isZero();
	}

	@Test
	void aFailedReadKeepsNothing() {
		EndpointCache failing = new EndpointCache((tenant) -> {
			throw new IllegalStateException("Redis is down");
		}, this.clock);
		assertThatIllegalStateException().isThrownBy(() -> failing.endpoints("acme"));
		assertThat(failing.size()).isZero();
	}

	@Test
	void tenantsNotSeenForASecondAreDropped() {
		for (int i = 0; i < 100; i++) {
			this.cache.endpoints("tenant-" + i);
		}
		assertThat(this.cache.size()).isEqualTo(100);
		this.clock.step(Duration.ofSeconds(1));
		this.cache.endpoints("acme");
		assertThat(this.cache.size()).isOne();
	}

	@Test
	void aClockThatGoesBackReadsAgain() {
		this.cache.endpoints("acme");
		this.clock.step(Duration.ofSeconds(-5));
		this.cache.endpoints("acme");
		assertThat(this.reads).containsExactly("acme", "acme");
	}

	private static WebhookEndpoint endpoint(String id) {
		return new WebhookEndpoint(id, "https://hooks.example.com/" + id, Set.of(DeliveryState.SENT), null,
				"whsec_c2VjcmV0", null, null, Instant.parse("2026-11-01T00:00:00Z"), null, null);
	}

}
