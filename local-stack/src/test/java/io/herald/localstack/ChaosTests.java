package io.herald.localstack;

import java.time.Duration;
import java.util.List;

import io.herald.loaddriver.Accounting;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ChaosTests {

	@Test
	void runsEveryFaultByDefault() {
		Chaos.Settings settings = Chaos.Settings.parse();
		assertThat(settings.faults()).containsExactly(Chaos.Fault.values());
		assertThat(settings.duration()).isEqualTo(Duration.ofSeconds(60));
		assertThat(settings.drain()).isEqualTo(Duration.ofSeconds(120));
	}

	@Test
	void readsEveryOption() {
		Chaos.Settings settings = Chaos.Settings.parse("--faults", "gateway, redis", "--duration", "2m", "--rate", "300",
				"--users", "1000", "--delivery-rate", "40", "--drain", "90s");
		assertThat(settings.faults()).containsExactly(Chaos.Fault.GATEWAY, Chaos.Fault.REDIS);
		assertThat(settings.duration()).isEqualTo(Duration.ofMinutes(2));
		assertThat(settings).extracting(Chaos.Settings::rate, Chaos.Settings::users, Chaos.Settings::deliveryRate)
			.containsExactly(300, 1000, 40);
		assertThat(settings.drain()).isEqualTo(Duration.ofSeconds(90));
	}

	@Test
	void rejectsUnknownFaultsAndOptionsWithAClearMessage() {
		assertThatIllegalArgumentException().isThrownBy(() -> Chaos.Settings.parse("--faults", "dns"))
			.withMessageContaining("unknown fault 'dns'")
			.withMessageContaining("routing, delivery, gateway, kafka, redis, providers");
		assertThatIllegalArgumentException().isThrownBy(() -> Chaos.Settings.parse("--speed", "1"))
			.withMessageContaining("--speed");
		assertThatIllegalArgumentException().isThrownBy(() -> Chaos.Settings.parse("--rate", "0"))
			.withMessageContaining("--rate");
		assertThatIllegalArgumentException().isThrownBy(() -> Chaos.Settings.parse("--duration", "soon"))
			.withMessageContaining("duration");
		assertThatIllegalArgumentException().isThrownBy(() -> Chaos.Settings.parse("--users"))
			.withMessageContaining("--users");
	}

	@Test
	void anOutcomeIsCleanOnlyWhenBothLoadsArrivedWholeOnceAndInOrder() {
		Accounting clean = new Accounting(100, 100, 0, 0, 0, 0);
		assertThat(new Chaos.Outcome(Chaos.Fault.KAFKA, clean, clean, Duration.ZERO, "").clean()).isTrue();
		List<Accounting> broken = List.of(new Accounting(100, 99, 1, 0, 0, 0), new Accounting(100, 100, 0, 1, 0, 0),
				new Accounting(100, 100, 0, 0, 1, 0), new Accounting(100, 100, 0, 0, 0, 1), new Accounting(0, 0, 0, 0, 0, 0));
		for (Accounting accounting : broken) {
			assertThat(new Chaos.Outcome(Chaos.Fault.KAFKA, accounting, clean, Duration.ZERO, "").clean()).isFalse();
			assertThat(new Chaos.Outcome(Chaos.Fault.KAFKA, clean, accounting, Duration.ZERO, "").clean()).isFalse();
		}
	}

}
