package io.herald.gateway.inbox;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class AppendResultTests {

	@Test
	void positiveReplyIsANewAppend() {
		assertThat(AppendResult.fromScriptReply(7)).isEqualTo(new AppendResult(7, true));
	}

	@Test
	void negativeReplyIsADuplicateWithItsEarlierSeq() {
		assertThat(AppendResult.fromScriptReply(-7)).isEqualTo(new AppendResult(7, false));
	}

	@Test
	void zeroReplyIsRejected() {
		assertThatIllegalStateException().isThrownBy(() -> AppendResult.fromScriptReply(0));
	}

}
