package io.herald.routing.user;

import io.herald.events.UserCommand;
import io.herald.events.UserState;
import io.herald.routing.user.Representations.SubscriptionBody;
import io.herald.support.apikey.ApiKey;
import io.herald.support.apikey.CurrentApiKey;
import io.herald.support.apikey.Scope;
import io.herald.support.web.ApiProblemException;
import io.herald.support.web.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Topic membership for fan-out (API.md section 2). Subscribing needs no body (one sent is
 * ignored) and is idempotent; subscribing a user routing does not know yet creates the
 * user.
 */
@RestController
@RequestMapping("/v1/topics/{topic}/subscribers/{userId}")
class SubscriptionController {

	private final UserWrites writes;

	private final UserStateQueries queries;

	SubscriptionController(UserWrites writes, UserStateQueries queries) {
		this.writes = writes;
		this.queries = queries;
	}

	@PutMapping
	ResponseEntity<SubscriptionBody> subscribe(@PathVariable String topic, @PathVariable String userId,
			HttpServletRequest request) {
		ApiKey key = CurrentApiKey.require(request, Scope.USERS_WRITE);
		PathVariables.requireTopicAndUserId(topic, userId);
		UserCommand command = new UserCommand.Subscribe(UserCommand.SCHEMA_VERSION, key.tenant(), userId,
				this.writes.now(), topic);
		SubscriptionBody subscription = new SubscriptionBody(topic, userId);
		return UserController.answer(this.writes.write(command), (state) -> subscription, subscription);
	}

	/**
	 * {@code 200} when the user is subscribed; {@code 404} otherwise (or when the user is
	 * not known).
	 */
	@GetMapping
	SubscriptionBody get(@PathVariable String topic, @PathVariable String userId, HttpServletRequest request) {
		ApiKey key = CurrentApiKey.require(request, Scope.USERS_READ);
		PathVariables.requireTopicAndUserId(topic, userId);
		requireSubscribed(key, topic, userId);
		return new SubscriptionBody(topic, userId);
	}

	/**
	 * {@code 204}; {@code 404} when the user is not subscribed (nothing is written then).
	 */
	@DeleteMapping
	ResponseEntity<Void> unsubscribe(@PathVariable String topic, @PathVariable String userId,
			HttpServletRequest request) {
		ApiKey key = CurrentApiKey.require(request, Scope.USERS_WRITE);
		PathVariables.requireTopicAndUserId(topic, userId);
		requireSubscribed(key, topic, userId);
		UserCommand command = new UserCommand.Unsubscribe(UserCommand.SCHEMA_VERSION, key.tenant(), userId,
				this.writes.now(), topic);
		return UserController.deleted(this.writes.write(command));
	}

	private void requireSubscribed(ApiKey key, String topic, String userId) {
		boolean subscribed = this.queries.find(key.tenant(), userId)
			.map(UserState::topics)
			.filter((topics) -> topics.contains(topic))
			.isPresent();
		if (!subscribed) {
			throw new ApiProblemException(ErrorCode.NOT_FOUND,
					"User '" + userId + "' is not subscribed to topic '" + topic + "'.");
		}
	}

}
