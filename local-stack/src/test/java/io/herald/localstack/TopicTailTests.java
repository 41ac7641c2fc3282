package io.herald.localstack;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TopicTailTests {

	@Test
	void showsTopicKeyTypeAndValue() {
		ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("herald.deliver.inapp.priority", 3, 7L,
				"demo|jane", "{\"title\":\"Hi\"}".getBytes(StandardCharsets.UTF_8));
		record.headers().add("ce_type", "io.herald.notification.deliver.v1".getBytes(StandardCharsets.UTF_8));
		assertThat(TopicTail.format(record)).isEqualTo("""
				herald.deliver.inapp.priority key=demo|jane type=io.herald.notification.deliver.v1
				  {"title":"Hi"}""");
	}

	@Test
	void defaultShowsEveryDeliveryLaneAndNothingElse() {
		Pattern lanes = Pattern.compile(TopicTail.DEFAULT_TOPICS);
		assertThat(lanes.matcher("herald.deliver.push.bulk").matches()).isTrue();
		assertThat(lanes.matcher("herald.status").matches()).isFalse();
	}

}
