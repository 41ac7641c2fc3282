package io.herald.infra.sandbox;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class FailurePlanTests {

	private final FailurePlan<String> plan = new FailurePlan<>();

	@Test
	void nothingPlannedFailsNothing() {
		assertThat(this.plan.take()).isEmpty();
	}

	@Test
	void failNextFailsExactlyThatManyRequests() {
		this.plan.failNext(2, "boom");

		assertThat(this.plan.take()).hasValue("boom");
		assertThat(this.plan.take()).hasValue("boom");
		assertThat(this.plan.take()).isEmpty();
	}

	@Test
	void failUntilClearedFailsUntilCleared() {
		this.plan.failUntilCleared("down");

		assertThat(this.plan.take()).hasValue("down");
		assertThat(this.plan.take()).hasValue("down");
		this.plan.clear();
		assertThat(this.plan.take()).isEmpty();
	}

	@Test
	void laterPlanReplacesEarlierPlan() {
		this.plan.failUntilCleared("down");
		this.plan.failNext(1, "once");

		assertThat(this.plan.take()).hasValue("once");
		assertThat(this.plan.take()).isEmpty();
	}

	@Test
	void rejectsCountBelowOne() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.plan.failNext(0, "x"))
			.withMessage("count must be at least 1, but was 0");
	}

}
