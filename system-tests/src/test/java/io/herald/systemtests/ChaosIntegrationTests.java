package io.herald.systemtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.herald.localstack.LocalStack;
import io.herald.localstack.LocalStackSettings;
import io.herald.localstack.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chaos suite's fast version, against the whole platform with the real service jars:
 * for each part of it, in-app notifications to 200 connected users and critical
 * notifications by email, SMS and push flow while the part is broken and comes back, and
 * the load driver counts at the receivers (WebSocket frames, provider sandboxes) that
 * every accepted notification arrived, once, in its user's order. Services, the broker
 * (in a JVM of its own) and {@code redis-server} are killed with SIGKILL; each kill is
 * checked (the pid is gone, the part came back as another pid). {@code platform chaos}
 * runs the same with longer, heavier loads.
 */
class ChaosIntegrationTests {

	static final Chaos.Settings SETTINGS = new Chaos.Settings(List.of(), Duration.ofSeconds(10), 100, 200, 10,
			Duration.ofSeconds(120), Duration.ofSeconds(3));

	/**
	 * How long the delivery service's circuit breakers stay open here, instead of the
	 * default 30 s. A send its open circuit postpones comes back after up to that long,
	 * and again while the circuit is still open: with the default, the providers fault's
	 * 10 s outage left texts waiting a minute, though nothing was wrong any more. The
	 * circuit still opens, postpones and closes again; it does so sooner.
	 */
	static final String CIRCUIT_OPEN_FOR = "3s";

	private static Path data;

	private static LocalStack stack;

	@BeforeAll
	static void startStack() throws Exception {
		data = Files.createTempDirectory("herald-chaos-test-");
		LocalStackSettings settings = ChaosCommand.settings(data);
		stack = TestStacks.withTestPartitions(ChaosCommand.stack(settings, TestStacks.HOME, false), settings);
		stack.environment("delivery", Map.of("HERALD_DELIVERY_DISPATCH_CIRCUITBREAKER_OPENFOR", CIRCUIT_OPEN_FOR));
		stack.start();
		new Chaos(stack, SETTINGS).warmUp();
	}

	@AfterAll
	static void stopStack() {
		if (stack != null) {
			stack.close();
		}
	}

	/**
	 * Faults run in the enum's order: routing, delivery, the gateway, Kafka, Redis, the
	 * providers. The replicated stack's faults run in
	 * {@link ReplicatedChaosIntegrationTests}.
	 */
	@ParameterizedTest(name = "{0}: nothing lost, duplicated or out of order")
	@EnumSource(value = Chaos.Fault.class, mode = EnumSource.Mode.EXCLUDE,
			names = { "KAFKA_BROKER", "KAFKA_CONTROLLER", "KAFKA_LEADER", "REDIS_FAILOVER" })
	void breakingAPartMidLoadLosesNothingDuplicatesNothingAndKeepsEachUsersOrder(Chaos.Fault fault) throws Exception {
		assertClean(fault);
	}

	private static void assertClean(Chaos.Fault fault) throws InterruptedException {
		assertClean(stack, SETTINGS, fault);
	}

	/**
	 * Runs a fault on a stack and asserts that it happened and that nothing was lost,
	 * duplicated or reordered.
	 */
	static void assertClean(LocalStack stack, Chaos.Settings settings, Chaos.Fault fault) throws InterruptedException {
		Chaos.Outcome outcome = new Chaos(stack, settings).run(fault);
		Chaos.Disruption disruption = outcome.disruption();
		System.out.print(fault.id() + ": " + disruption.line() + "\n" + Chaos.HEADER + outcome.line() + "\n"
				+ outcome.reports());
		if (fault != Chaos.Fault.PROVIDERS) {
			assertThat(disruption.killed()).as("%s was killed", fault.id()).isTrue();
			assertThat(ProcessHandle.of(disruption.killedPid()).filter(ProcessHandle::isAlive))
				.as("%s pid %d after %s", disruption.what(), disruption.killedPid(), Chaos.Disruption.SIGNAL)
				.isEmpty();
			assertThat(disruption.restartedPid()).as("the restarted %s's pid", disruption.what())
				.isPositive()
				.isNotEqualTo(disruption.killedPid());
			assertThat(ProcessHandle.of(disruption.restartedPid()).filter(ProcessHandle::isAlive))
				.as("the restarted %s", disruption.what())
				.isPresent();
		}
		assertThat(outcome.happened()).as("the fault happened").isTrue();
		assertThat(outcome.inApp().accepted()).as("in-app notifications accepted").isPositive();
		assertThat(outcome.delivery().accepted()).as("provider notifications accepted").isPositive();
		assertThat(outcome.inApp().lost()).as("in-app lost\n%s", outcome.reports()).isZero();
		assertThat(outcome.inApp().duplicated()).as("in-app duplicated\n%s", outcome.reports()).isZero();
		assertThat(outcome.inApp().outOfOrder()).as("in-app out of order\n%s", outcome.reports()).isZero();
		assertThat(outcome.inApp().unexpected()).as("in-app unexpected\n%s", outcome.reports()).isZero();
		assertThat(outcome.delivery().lost()).as("provider lost\n%s", outcome.reports()).isZero();
		assertThat(outcome.deliveryDuplicated()).as("provider duplicated\n%s", outcome.reports()).isZero();
		if (fault == Chaos.Fault.PROVIDERS) {
			assertThat(circuitOpenSends(stack)).as("sends an open circuit postponed in the outage").isPositive();
		}
	}

	/**
	 * The sends the running delivery service did not try because the provider's circuit
	 * was open, from its funnel: the providers fault must open a circuit, and every one
	 * of those sends must still arrive once.
	 */
	private static double circuitOpenSends(LocalStack stack) {
		ServiceProcess delivery = stack.process("delivery");
		assertThat(delivery).as("the delivery service").isNotNull();
		try {
			return ServiceMetrics.sum(ServiceMetrics.scrape(delivery.service()), "herald_funnel_total",
					Map.of("stage", "sent", "reason", "circuit_open"));
		}
		catch (IOException | InterruptedException ex) {
			throw new AssertionError("The delivery service's metrics cannot be read", ex);
		}
	}

}
