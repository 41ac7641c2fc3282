package io.herald.support.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.herald.events.Topics;
import io.herald.events.UserCommand;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UserErasuresTests {

	private static final Instant AT = Instant.parse("2026-11-26T12:00:00Z");

	private final MeterRegistry meters = new SimpleMeterRegistry();

	private final List<String> erasedUsers = new ArrayList<>();

	private final UserErasures erasures = new UserErasures("test.erasures", this.meters, (tenant, userId) -> {
		this.erasedUsers.add(tenant + "/" + userId);
		return !userId.equals("ghost");
	});

	@Test
	void erasesTheUserAnEraseCommandNames() {
		this.erasures.handle(record(new UserCommand.EraseUser(UserCommand.SCHEMA_VERSION, "acme", "ada", AT)));
		this.erasures.handle(record(new UserCommand.EraseUser(UserCommand.SCHEMA_VERSION, "acme", "ghost", AT)));

		assertThat(this.erasedUsers).containsExactly("acme/ada", "acme/ghost");
		assertThat(count("erased")).isEqualTo(1);
		assertThat(count("nothing_to_erase")).isEqualTo(1);
	}

	@Test
	void leavesOtherCommandsToRouting() {
		this.erasures.handle(record(new UserCommand.Subscribe(UserCommand.SCHEMA_VERSION, "acme", "ada", AT, "news")));

		assertThat(this.erasedUsers).isEmpty();
		assertThat(count("erased") + count("nothing_to_erase") + count("skipped")).isZero();
	}

	@Test
	void skipsAndCountsARecordThatIsNotACommand() {
		this.erasures.handle(new ConsumerRecord<>(Topics.Names.USER_COMMANDS, 0, 7, "acme:ada",
				"{\"type\":\"erase-user\",\"tenant\":".getBytes(StandardCharsets.UTF_8)));

		assertThat(this.erasedUsers).isEmpty();
		assertThat(count("skipped")).isEqualTo(1);
	}

	@Test
	void ignoresATombstone() {
		this.erasures.handle(new ConsumerRecord<>(Topics.Names.USER_COMMANDS, 0, 8, "acme:ada", null));

		assertThat(this.erasedUsers).isEmpty();
		assertThat(count("erased") + count("nothing_to_erase") + count("skipped")).isZero();
	}

	private static ConsumerRecord<String, byte[]> record(UserCommand command) {
		return new ConsumerRecord<>(Topics.Names.USER_COMMANDS, 0, 0, command.tenant() + ":" + command.userId(),
				Topics.USER_COMMANDS.codec().encode(command));
	}

	private double count(String outcome) {
		return this.meters.counter("test.erasures", "outcome", outcome).count();
	}

}
