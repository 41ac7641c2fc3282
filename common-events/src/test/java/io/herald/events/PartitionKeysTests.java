package io.herald.events;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

	@Test
	void anEventForOneUserIsLoggedUnderTheUsersKeyAndAnyOtherUnderItsOwn() {
		assertThat(PartitionKeys.eventLog(event(new Recipients.Users(List.of("u-1"))))).isEqualTo("acme|u-1");
		assertThat(PartitionKeys.eventLog(event(new Recipients.Users(List.of("u-1", "u-2"))))).isEqualTo("acme|e-1");
		assertThat(PartitionKeys.eventLog(event(new Recipients.Topic("news")))).isEqualTo("acme|e-1");
		assertThat(PartitionKeys.eventLog(event(new Recipients.AllUsers(true)))).isEqualTo("acme|e-1");
	}

	private static EventAccepted event(Recipients recipients) {
		return new EventAccepted(EventAccepted.SCHEMA_VERSION, "acme", "e-1", Instant.EPOCH, "a.b", recipients, null,
				null, Set.of(), new Content("t", "b", null), null, Map.of(), null, null);
	}

}
