package io.herald.loaddriver;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FileLimitTests {

	@Test
	void connectionsThatFitPass() {
		assertThat(FileLimit.shortfall(9_000, 164, 40, 20_000)).isNull();
		assertThat(FileLimit.shortfall(19_796, 164, 40, 20_000)).isNull();
	}

	@Test
	void tooManyConnectionsSayHowManyFit() {
		assertThat(FileLimit.shortfall(20_000, 164, 40, 20_000)).contains("--users 20000")
			.contains("ulimit -n")
			.contains("at most 19796 users fit");
	}

}
