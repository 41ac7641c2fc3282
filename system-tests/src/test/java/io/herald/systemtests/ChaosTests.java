package io.herald.systemtests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.herald.loaddriver.Accounting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ChaosTests {

	@Test
	void runsEveryFaultByDefault() {
		Chaos.Settings settings = Chaos.Settings.parse();
		assertThat(settings.faults()).containsExactly(Chaos.Fault.values());
		assertThat(settings.duration()).isEqualTo(Duration.ofSeconds(60));
		assertThat(settings.drain()).isEqualTo(Duration.ofSeconds(120));
		assertThat(settings.away()).isEqualTo(Duration.ofSeconds(3));
	}

	@Test
	void readsEveryOption() {
		Chaos.Settings settings = Chaos.Settings.parse("--faults", "gateway, redis", "--duration", "2m", "--rate",
				"300", "--users", "1000", "--delivery-rate", "40", "--drain", "90s", "--away", "20s");
		assertThat(settings.faults()).containsExactly(Chaos.Fault.GATEWAY, Chaos.Fault.REDIS);
		assertThat(settings.duration()).isEqualTo(Duration.ofMinutes(2));
		assertThat(settings).extracting(Chaos.Settings::rate, Chaos.Settings::users, Chaos.Settings::deliveryRate)
			.containsExactly(300, 1000, 40);
		assertThat(settings.drain()).isEqualTo(Duration.ofSeconds(90));
		assertThat(settings.away()).isEqualTo(Duration.ofSeconds(20));
	}

	@Test
	void theReplicationFaultsAreNamedWithDashesAndNeedTheReplicatedStack() {
		Chaos.Settings settings = Chaos.Settings.parse("--faults",
				"kafka-broker,kafka-controller,kafka-leader,kafka,redis-failover,redis");
		assertThat(settings.faults()).containsExactly(Chaos.Fault.KAFKA_BROKER, Chaos.Fault.KAFKA_CONTROLLER,
				Chaos.Fault.KAFKA_LEADER, Chaos.Fault.KAFKA, Chaos.Fault.REDIS_FAILOVER, Chaos.Fault.REDIS);
		assertThat(settings.faults()).filteredOn(Chaos.Fault::needsReplication)
			.containsExactly(Chaos.Fault.KAFKA_BROKER, Chaos.Fault.KAFKA_CONTROLLER, Chaos.Fault.KAFKA_LEADER,
					Chaos.Fault.REDIS_FAILOVER);
		assertThat(Chaos.Fault.CLUSTER_NODES).isEqualTo(3);
		assertThat(settings.withFaults(List.of(Chaos.Fault.REDIS)).faults()).containsExactly(Chaos.Fault.REDIS);
		assertThat(settings.withFaults(List.of(Chaos.Fault.REDIS)).away()).isEqualTo(settings.away());
	}

	@Test
	void asksForHelpAndStartsNothing(@TempDir Path home) throws InterruptedException {
		for (String help : Chaos.Settings.HELP) {
			assertThat(ChaosCommand.run(home, help)).isZero();
		}
		assertThat(home).isEmptyDirectory();
	}

	@Test
	void rejectsUnknownFaultsAndOptionsWithAClearMessage() {
		assertThatIllegalArgumentException().isThrownBy(() -> Chaos.Settings.parse("--faults", "dns"))
			.withMessageContaining("unknown fault 'dns'")
			.withMessageContaining(
					"routing, delivery, gateway, kafka, redis, providers, kafka-broker, kafka-controller, "
							+ "kafka-leader, redis-failover");
		assertThatIllegalArgumentException().isThrownBy(() -> Chaos.Settings.parse("--speed", "1"))
			.withMessageContaining("--speed");
		assertThatIllegalArgumentException().isThrownBy(() -> Chaos.Settings.parse("--rate", "0"))
			.withMessageContaining("--rate");
		assertThatIllegalArgumentException().isThrownBy(() -> Chaos.Settings.parse("--duration", "soon"))
			.withMessageContaining("duration");
		assertThatIllegalArgumentException().isThrownBy(() -> Chaos.Settings.parse("--users"))
			.withMessageContaining("--users");
	}

	private static final Chaos.Disruption KILLED = new Chaos.Disruption("kafka-broker", 100, 200,
			Instant.parse("2025-01-01T12:00:00Z"), Duration.ofSeconds(4), Duration.ofSeconds(5), Duration.ofSeconds(6));

	@Test
	void anOutcomeIsCleanOnlyWhenBothLoadsArrivedWholeOnceAndInOrder() {
		Accounting clean = new Accounting(100, 100, 0, 0, 0, 0);
		assertThat(new Chaos.Outcome(Chaos.Fault.KAFKA, clean, clean, KILLED, "").clean()).isTrue();
		List<Accounting> broken = List.of(new Accounting(100, 99, 1, 0, 0, 0), new Accounting(100, 100, 0, 1, 0, 0),
				new Accounting(100, 100, 0, 0, 1, 0), new Accounting(100, 100, 0, 0, 0, 1),
				new Accounting(0, 0, 0, 0, 0, 0));
		for (Accounting accounting : broken) {
			assertThat(new Chaos.Outcome(Chaos.Fault.KAFKA, accounting, clean, KILLED, "").clean()).isFalse();
			assertThat(new Chaos.Outcome(Chaos.Fault.KAFKA, clean, accounting, KILLED, "").clean()).isFalse();
		}
	}

	@Test
	void onlyAKillOfTheDeliveryServiceMaySendTextsAgainAndOnlyThoseTheRestartedServiceFoundInDoubt() {
		Accounting clean = new Accounting(100, 100, 0, 0, 0, 0);
		Accounting twoTextsTwice = new Accounting(100, 100, 0, 2, 0, 0);
		Chaos.Outcome deliveryKill = new Chaos.Outcome(Chaos.Fault.DELIVERY, clean, twoTextsTwice, KILLED, "", 2, 3);
		assertThat(deliveryKill.deliveryDuplicated()).isZero();
		assertThat(deliveryKill.clean()).isTrue();
		assertThat(deliveryKill.line()).endsWith("ok (2 SMS repeated, 3 in doubt)");
		Chaos.Outcome emailTwiceToo = new Chaos.Outcome(Chaos.Fault.DELIVERY, clean,
				new Accounting(100, 100, 0, 3, 0, 0), KILLED, "", 2, 3);
		assertThat(emailTwiceToo.deliveryDuplicated()).isOne();
		assertThat(emailTwiceToo.clean()).isFalse();
		assertThat(new Chaos.Outcome(Chaos.Fault.ROUTING, clean, twoTextsTwice, KILLED, "", 2, 3).clean()).isFalse();
		// More repeats than texts the restarted service found in doubt: one was sent
		// twice by no crash.
		Chaos.Outcome moreThanInDoubt = new Chaos.Outcome(Chaos.Fault.DELIVERY, clean, twoTextsTwice, KILLED, "", 2, 1);
		assertThat(moreThanInDoubt.deliveryDuplicated()).isOne();
		assertThat(moreThanInDoubt.clean()).isFalse();
		long beyond = Chaos.TEXT_REPEATS_AT_A_CRASH + 1;
		assertThat(new Chaos.Outcome(Chaos.Fault.DELIVERY, clean, new Accounting(100, 100, 0, beyond, 0, 0), KILLED, "",
				beyond, beyond)
			.clean()).isFalse();
	}

	@Test
	void anOutcomeIsNotCleanWhenTheKillNeverHappened() {
		Accounting clean = new Accounting(100, 100, 0, 0, 0, 0);
		Chaos.Outcome outcome = new Chaos.Outcome(Chaos.Fault.REDIS, clean, clean,
				Chaos.Disruption.none(Chaos.Fault.REDIS), "");
		assertThat(outcome.happened()).isFalse();
		assertThat(outcome.clean()).isFalse();
	}

	@Test
	void aDisruptionSaysWhatWasKilledWhenAndHowLongRecoveryTook() {
		assertThat(KILLED.line()).isEqualTo("killed kafka-broker (pid 100) with SIGKILL at 2025-01-01T12:00:00Z, "
				+ "restarted as pid 200; ready again after 5.0 s; first delivery after 6.0 s");
		assertThat(KILLED.withFirstDelivery(null).line()).endsWith("first delivery after none");
		assertThat(KILLED.withFirstDelivery(Instant.parse("2025-01-01T12:00:07.5Z")).firstDelivery())
			.isEqualTo(Duration.ofMillis(7_500));
	}

	@Test
	void aFailedRunShowsTheLastErrorsHeraldWarningsAndStateChangesOfEachLog(@TempDir Path logs) throws Exception {
		List<String> routing = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			routing.add("12:00:00.000Z  WARN 1 --- [routing-service] producer retrying " + i);
			routing.add("12:00:00.000Z ERROR 1 --- [routing-service] failure " + i);
		}
		routing.add("org.apache.kafka.streams.errors.StreamsException: boom");
		routing.add("Caused by: org.apache.kafka.common.errors.TimeoutException: late");
		routing.add(
				"12:00:01.000Z  INFO 1 --- [routing-service] stream-client [x] State transition from RUNNING to ERROR");
		routing.add("12:00:02.000Z  WARN 1 --- [routing-service] i.h.routing.topology.Router : giving up on x");
		Files.write(logs.resolve("routing-service.log"), routing);
		Files.write(logs.resolve("websocket-gateway.log"), List.of("12:00:00.000Z  INFO 1 --- started"));
		Files.write(logs.resolve("notes.txt"), List.of("12:00:00.000Z ERROR not a service log"));

		String excerpts = Chaos.logExcerpts(logs);

		assertThat(excerpts).contains("--- routing-service.log: last 30 of 103 errors, warnings and state changes")
			.contains("failure 99", "failure 73", "giving up on x",
					"Caused by: org.apache.kafka.common.errors.TimeoutException: late",
					"State transition from RUNNING to ERROR")
			.doesNotContain("failure 72\n", "producer retrying", "not a service log")
			.contains("--- websocket-gateway.log: last 0 of 0 errors, warnings and state changes");
	}

}
