package io.herald.routing.user;

import io.herald.events.Channel;
import io.herald.events.Identifiers;
import io.herald.events.WireNamed;
import io.herald.support.web.ApiProblemException;
import io.herald.support.web.FieldProblem;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Checks the ids in request paths before they become part of a key. A user id is
 * {@code [A-Za-z0-9._:@+-]{1,128}} and a topic {@code [a-z0-9_.-]{1,100}}
 * ({@link Identifiers}): neither can hold the key separator {@code |}, a brace or a
 * slash.
 */
final class PathVariables {

	static final String USER_ID_SHAPE = "must be a user id matching [A-Za-z0-9._:@+-]{1,128}";

	static final String TOPIC_SHAPE = "must be a topic matching [a-z0-9_.-]{1,100}";

	static final String ADDRESS_CHANNEL_SHAPE = "must be email or sms, the channels with addresses";

	private PathVariables() {
	}

	/**
	 * Checks a user id.
	 * @throws ApiProblemException {@code 400 invalid_request} naming {@code userId}
	 */
	static void requireUserId(String userId) {
		reject(problems(userId, null));
	}

	/**
	 * Checks a topic and a user id.
	 * @throws ApiProblemException {@code 400 invalid_request} naming each offending one
	 */
	static void requireTopicAndUserId(String topic, String userId) {
		reject(problems(userId, topic));
	}

	/**
	 * Checks a user id and a channel with addresses to suppress.
	 * @return the channel, email or SMS
	 * @throws ApiProblemException {@code 400 invalid_request} naming each offending one
	 */
	static Channel requireUserIdAndAddressChannel(String userId, String channel) {
		List<FieldProblem> problems = problems(userId, null);
		Channel found = WireNamed.find(Channel.values(), channel);
		if (found != Channel.EMAIL && found != Channel.SMS) {
			problems.add(0, new FieldProblem("channel", ADDRESS_CHANNEL_SHAPE));
		}
		reject(problems);
		return Objects.requireNonNull(found);
	}

	static List<FieldProblem> problems(String userId, @Nullable String topic) {
		List<FieldProblem> problems = new ArrayList<>(2);
		if (topic != null && !Identifiers.matches(Identifiers.TOPIC, topic)) {
			problems.add(new FieldProblem("topic", TOPIC_SHAPE));
		}
		if (!Identifiers.matches(Identifiers.USER_ID, userId)) {
			problems.add(new FieldProblem("userId", USER_ID_SHAPE));
		}
		return problems;
	}

	private static void reject(List<FieldProblem> problems) {
		if (!problems.isEmpty()) {
			throw Validated.rejection(problems);
		}
	}

}
