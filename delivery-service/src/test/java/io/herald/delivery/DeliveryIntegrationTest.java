package io.herald.delivery;

import io.herald.events.Channel;
import io.herald.events.DeliveryState;
import io.herald.events.StatusReported;
import io.herald.infra.SharedInfra;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A delivery service on a random port, on the shared broker and Redis, with lanes to feed
 * it as routing does and a fresh user for every test. Each test class gets its own
 * application context, closed after the class, so that only one delivery service consumes
 * the shared lanes at a time; tests tell their records apart by user. Subclasses start
 * the provider sandboxes they need and point the providers at them in their own
 * {@code @DynamicPropertySource}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
public abstract class DeliveryIntegrationTest {

	protected static final Duration TIMEOUT = Duration.ofSeconds(60);

	protected static Lanes lanes;

	@LocalServerPort
	protected int port;

	/** Where the actuator, {@code /actuator/lanes} included, is. */
	@LocalManagementPort
	protected int managementPort;

	protected String user;

	@Autowired
	protected MeterRegistry meters;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		registry.add("spring.kafka.bootstrap-servers", () -> SharedInfra.kafka().bootstrapServers());
		registry.add("spring.data.redis.port", () -> SharedInfra.redis().port());
	}

	@BeforeAll
	static void openLanes() {
		lanes = new Lanes();
	}

	@AfterAll
	static void closeLanes() {
		lanes.close();
	}

	@BeforeEach
	void newUser() {
		this.user = "u-" + UUID.randomUUID();
	}

	/** Waits for a status of the test's user in {@code state}, and returns the first. */
	protected StatusReported awaitState(DeliveryState state) {
		await().atMost(TIMEOUT)
			.untilAsserted(
					() -> assertThat(Lanes.statuses(this.user)).extracting(StatusReported::state).contains(state));
		return Lanes.statuses(this.user).stream().filter((status) -> status.state() == state).findFirst().orElseThrow();
	}

	/**
	 * How often the send ledger answered {@code answer} ({@code herald.delivery.ledger})
	 * for a channel so far.
	 */
	protected double ledgerAnswers(Channel channel, String answer) {
		return ledgerAnswers(this.meters, channel, answer);
	}

	/**
	 * How often the send ledger answered {@code answer} for a channel so far, as a
	 * service's meters counted.
	 */
	public static double ledgerAnswers(MeterRegistry meters, Channel channel, String answer) {
		Counter counter = meters.find("herald.delivery.ledger")
			.tag("channel", channel.wireName())
			.tag("answer", answer)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	/**
	 * How often a batch of a consumer group failed so far, as its listener containers
	 * counted it.
	 */
	public static long batchFailures(MeterRegistry meters, String group) {
		return meters.find("spring.kafka.listener")
			.tag("result", "failure")
			.timers()
			.stream()
			.filter((timer) -> String.valueOf(timer.getId().getTag("name")).startsWith(group + "-"))
			.mapToLong(Timer::count)
			.sum();
	}

	/** How many receipts of a source {@code herald.delivery.receipts} counted so far. */
	protected double receipts(String source, String outcome) {
		Counter counter = this.meters.find("herald.delivery.receipts")
			.tag("source", source)
			.tag("outcome", outcome)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

}
