package io.herald.localstack;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Keeps one report of the in-process broker out of the launcher's output: a single-node
 * KRaft broker's first controller registration can reach the controller a moment before
 * the node has become the active controller, which then refuses it with
 * {@code NotControllerException} naming itself as the active controller. The broker
 * retries the registration at once and goes on; Kafka logs the refusal as an
 * {@code ERROR} with its stack trace. Every other event of that logger, and every other
 * refusal, still shows.
 */
public final class BrokerStartRaceFilter extends Filter<ILoggingEvent> {

	private static final String LOGGER = "kafka.server.ControllerApis";

	private static final String REQUEST = "apiKey=CONTROLLER_REGISTRATION";

	private static final String REFUSAL = "org.apache.kafka.common.errors.NotControllerException";

	@Override
	public FilterReply decide(ILoggingEvent event) {
		if (LOGGER.equals(event.getLoggerName()) && event.getFormattedMessage() != null
				&& event.getFormattedMessage().contains(REQUEST) && causedBy(event.getThrowableProxy())) {
			return FilterReply.DENY;
		}
		return FilterReply.NEUTRAL;
	}

	private static boolean causedBy(IThrowableProxy throwable) {
		for (IThrowableProxy cause = throwable; cause != null; cause = cause.getCause()) {
			if (REFUSAL.equals(cause.getClassName())) {
				return true;
			}
		}
		return false;
	}

}
