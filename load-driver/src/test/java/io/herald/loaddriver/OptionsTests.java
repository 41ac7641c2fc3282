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

}
