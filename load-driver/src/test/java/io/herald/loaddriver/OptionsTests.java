package io.herald.loaddriver;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class OptionsTests {

	@Test
	void defaultsSuitTheLocalStack() {
		Options options = Options.parse("ingest");
		assertThat(options.url()).hasToString("http://127.0.0.1:8080");
		assertThat(options.apiKey()).isEqualTo("demo-key");
		assertThat(options.rate()).isEqualTo(1000);
		assertThat(options.duration()).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void readsEveryOption() {
		Options options = Options.parse("ingest-batch", "--rate", "50000", "--duration", "2m", "--warmup", "500ms",
				"--batch-size", "250", "--json", "out.json");
		assertThat(options.rate()).isEqualTo(50_000);
		assertThat(options.duration()).isEqualTo(Duration.ofMinutes(2));
		assertThat(options.warmup()).isEqualTo(Duration.ofMillis(500));
		assertThat(options.batchSize()).isEqualTo(250);
		assertThat(options.json()).hasToString("out.json");
	}

	@Test
	void rejectsUnknownScenariosOptionsAndBadNumbers() {
		assertThatIllegalArgumentException().isThrownBy(() -> Options.parse("nope")).withMessageContaining("nope");
		assertThatIllegalArgumentException().isThrownBy(() -> Options.parse("ingest", "--speed", "1"))
			.withMessageContaining("--speed");
		assertThatIllegalArgumentException().isThrownBy(() -> Options.parse("ingest", "--rate", "-5"))
			.withMessageContaining("--rate");
		assertThatIllegalArgumentException().isThrownBy(() -> Options.parse("ingest", "--duration", "soon"))
			.withMessageContaining("duration");
	}

	@Test
	void webSocketScenariosDefaultToTheLocalStacksDemoTenant() {
		Options.Live live = Options.parse("targeted").live();
		assertThat(live.gatewayUrl()).hasToString("http://127.0.0.1:8082");
		assertThat(live.gatewayManagementUrl()).hasToString("http://127.0.0.1:9082");
		assertThat(live.webSocketUri()).hasToString("ws://127.0.0.1:8082/v1/ws");
		assertThat(live.tenant()).isEqualTo("demo");
		assertThat(live.jwtSecret()).isEqualTo("demo-secret-0123456789abcdef0123456789abcdef");
		assertThat(live.drain()).isEqualTo(Duration.ofSeconds(10));
		assertThat(live.gatewayPid()).isNull();
		assertThat(live.rounds()).isEqualTo(1);
		assertThat(live.run()).matches("[a-z0-9]{1,20}");
	}

	@Test
	void aWarmUpRunHasUsersOfItsOwnAndTheSameGateway() {
		Options.Live live = Options.parse("connect", "--run", "abcdefghij0123456789", "--tenant", "acme").live();
		Options.Live warmUp = live.warmUp();
		assertThat(warmUp.run()).isNotEqualTo(live.run()).matches("[a-z0-9]{1,20}");
		assertThat(warmUp.user(0)).isNotEqualTo(live.user(0));
		assertThat(warmUp.webSocketUri()).isEqualTo(live.webSocketUri());
		assertThat(warmUp.tenant()).isEqualTo("acme");
		assertThat(Options.parse("connect", "--run", "r1").live().warmUp().run()).isEqualTo("wr1");
	}

	@Test
	void readsEveryWebSocketOption() {
		Options options = Options.parse("fanout", "--gateway-url", "https://gw.example:9443", "--tenant", "acme",
				"--jwt-secret", "s", "--run", "r1", "--drain", "30s", "--settle", "2s", "--samples", "9",
				"--gateway-pid", "4242", "--rounds", "3", "--users", "10000");
		Options.Live live = options.live();
		assertThat(live.webSocketUri()).hasToString("wss://gw.example:9443/v1/ws");
		assertThat(live.tenant()).isEqualTo("acme");
		assertThat(live.jwtSecret()).isEqualTo("s");
		assertThat(live.user(7)).isEqualTo("bench-r1-7");
		assertThat(live.drain()).isEqualTo(Duration.ofSeconds(30));
		assertThat(live.settle()).isEqualTo(Duration.ofSeconds(2));
		assertThat(live.samples()).isEqualTo(9);
		assertThat(live.gatewayPid()).isEqualTo(4242L);
		assertThat(live.rounds()).isEqualTo(3);
		assertThat(options.users()).isEqualTo(10_000);
	}

	@Test
	void rejectsARunIdThatCannotNameUsersAndTopics() {
		assertThatIllegalArgumentException().isThrownBy(() -> Options.parse("idle", "--run", "Bench_1"))
			.withMessageContaining("--run");
	}

	@Test
	void readsTheSettingsOfFanOutMixedAndManyConnections() {
		Options.Live live = Options
			.parse("mixed", "--audience", "all", "--bulk-rate", "5000", "--source-addresses", "4")
			.live();
		assertThat(live.audience()).isEqualTo("all");
		assertThat(live.bulkRate()).isEqualTo(5000);
		assertThat(live.sourceAddresses()).isEqualTo(4);
		Options.Live defaults = Options.parse("reconnect").live();
		assertThat(defaults.audience()).isEqualTo("topic");
		assertThat(defaults.bulkRate()).isZero();
		assertThat(defaults.sourceAddresses()).isOne();
	}

	@Test
	void rejectsAnAudienceOtherThanATopicOrEveryone() {
		assertThatIllegalArgumentException().isThrownBy(() -> Options.parse("fanout", "--audience", "friends"))
			.withMessageContaining("--audience");
	}

}
