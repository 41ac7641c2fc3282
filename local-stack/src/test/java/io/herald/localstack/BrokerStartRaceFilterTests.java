package io.herald.localstack;

import java.util.concurrent.CompletionException;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import org.apache.kafka.common.errors.NotControllerException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Only the broker's refused first controller registration is kept out of the launcher's
 * output.
 */
class BrokerStartRaceFilterTests {

	private static final String REGISTRATION = "[ControllerApis nodeId=1] Unexpected error handling request "
			+ "RequestHeader(apiKey=CONTROLLER_REGISTRATION, apiVersion=0, clientId=1, correlationId=0, headerVersion=2)";

	private final LoggerContext context = new LoggerContext();

	private final BrokerStartRaceFilter filter = new BrokerStartRaceFilter();

	@Test
	void theRefusedFirstRegistrationIsDropped() {
		Throwable refusal = new CompletionException(
				new NotControllerException("The active controller appears to be node 1."));

		assertThat(decide("kafka.server.ControllerApis", REGISTRATION, refusal)).isEqualTo(FilterReply.DENY);
	}

	@Test
	void otherFailuresOfTheRegistrationStillShow() {
		Throwable other = new CompletionException(new IllegalStateException("disk full"));

		assertThat(decide("kafka.server.ControllerApis", REGISTRATION, other)).isEqualTo(FilterReply.NEUTRAL);
		assertThat(decide("kafka.server.ControllerApis", REGISTRATION, null)).isEqualTo(FilterReply.NEUTRAL);
	}

	@Test
	void otherRequestsAndLoggersStillShow() {
		Throwable refusal = new NotControllerException("The active controller appears to be node 1.");

		assertThat(decide("kafka.server.ControllerApis",
				REGISTRATION.replace("CONTROLLER_REGISTRATION", "CREATE_TOPICS"), refusal))
			.isEqualTo(FilterReply.NEUTRAL);
		assertThat(decide("kafka.server.KafkaApis", REGISTRATION, refusal)).isEqualTo(FilterReply.NEUTRAL);
	}

	private FilterReply decide(String logger, String message, Throwable throwable) {
		Logger source = this.context.getLogger(logger);
		return this.filter
			.decide(new LoggingEvent(Logger.class.getName(), source, Level.ERROR, message, throwable, null));
	}

}
