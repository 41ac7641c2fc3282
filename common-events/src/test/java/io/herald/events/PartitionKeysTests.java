package io.herald.events;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PartitionKeysTests {

	@Test
	void userKeyStartsWithTheTenantAndSplitsBack() {
		String key = PartitionKeys.user("acme", "u-42");
		assertThat(key).isEqualTo("acme|u-42");
		assertThat(PartitionKeys.tenantOf(key)).isEqualTo("acme");
		assertThat(PartitionKeys.idOf(key)).isEqualTo("u-42");
	}

	@Test
	void rejectsATenantWithTheSeparator() {
		assertThatIllegalArgumentException().isThrownBy(() -> PartitionKeys.event("a|b", "c"));
	}

	@Test
	void rejectsAKeyWithoutTenant() {
		assertThatIllegalArgumentException().isThrownBy(() -> PartitionKeys.tenantOf("no-separator"));
		assertThatIllegalArgumentException().isThrownBy(() -> PartitionKeys.tenantOf("|u1"));
	}

	@Test
	void idShapesExcludeTheSeparatorAndHashTagBraces() {
		assertThat(Identifiers.matches(Identifiers.USER_ID, "jane.doe@example.com")).isTrue();
		assertThat(Identifiers.matches(Identifiers.USER_ID, "a|b")).isFalse();
		assertThat(Identifiers.matches(Identifiers.USER_ID, "{a}")).isFalse();
		assertThat(Identifiers.matches(Identifiers.TENANT, "Acme")).isFalse();
		assertThat(Identifiers.matches(Identifiers.EVENT_TYPE, "order.shipped")).isTrue();
	}

}
