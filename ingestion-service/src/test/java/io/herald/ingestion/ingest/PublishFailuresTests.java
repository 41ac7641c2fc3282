package io.herald.ingestion.ingest;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

class PublishFailuresTests {

	@Test
	void recordTooLargeIsAPermanentRejection() {
		IngestOutcome.Rejected rejected = PublishFailures
			.permanent(new CompletionException(new KafkaException("send failed", new RecordTooLargeException("big"))));
		assertThat(rejected).isNotNull();
		assertThat(rejected.reason()).isEqualTo(IngestOutcome.Rejected.Reason.TOO_LARGE);
	}

	@Test
	void invalidTopicIsAPermanentRejection() {
		assertThat(PublishFailures.permanent(new InvalidTopicException("bad")))
			.extracting(IngestOutcome.Rejected::reason)
			.isEqualTo(IngestOutcome.Rejected.Reason.REFUSED);
	}

	@Test
	void outagesMayBeRetried() {
		assertThat(PublishFailures.permanent(new TimeoutException("slow"))).isNull();
		assertThat(PublishFailures.permanent(new NotEnoughReplicasException("down"))).isNull();
		assertThat(PublishFailures.permanent(new java.util.concurrent.TimeoutException())).isNull();
	}

}
