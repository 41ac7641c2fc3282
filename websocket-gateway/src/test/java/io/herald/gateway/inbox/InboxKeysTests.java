package io.herald.gateway.inbox;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InboxKeysTests {

	@Test
	void everyKeyOfAUserSharesOneHashTag() {
		InboxKeys keys = InboxKeys.of("acme", "u-42");
		assertThat(keys.stream()).isEqualTo("herald:inbox:{acme:u-42}:stream");
		assertThat(keys.seq()).isEqualTo("herald:inbox:{acme:u-42}:seq");
		assertThat(keys.ids()).isEqualTo("herald:inbox:{acme:u-42}:ids");
		assertThat(keys.presence()).isEqualTo("herald:presence:{acme:u-42}");
		assertThat(keys.trimmed()).isEqualTo("herald:inbox:{acme:u-42}:trimmed");
		assertThat(keys.hidden()).isEqualTo("herald:inbox:{acme:u-42}:hidden");
		assertThat(keys.scriptKeys()).containsExactly(keys.stream(), keys.seq(), keys.ids(), keys.cursors(),
				keys.presence(), keys.trimmed(), keys.hidden());
	}

	@Test
	void entryIdIsTheSeq() {
		assertThat(InboxKeys.entryId(124)).isEqualTo("124-0");
		assertThat(InboxKeys.seqOf("124-0")).isEqualTo(124);
		assertThat(InboxKeys.seqOf(InboxKeys.entryId(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
	}

}
