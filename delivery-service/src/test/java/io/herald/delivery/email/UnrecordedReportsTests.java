package io.herald.delivery.email;

import org.junit.jupiter.api.Test;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class UnrecordedReportsTests {

	@Test
	void redisFailingHoldsUpTheMailboxAndAnythingElseIsTheReportsOwn() {
		assertThat(UnrecordedReports.infrastructure(new RedisConnectionFailureException("down"))).isTrue();
		assertThat(UnrecordedReports.infrastructure(new QueryTimeoutException("slow"))).isTrue();
		assertThat(UnrecordedReports.infrastructure(new IllegalArgumentException("bad"))).isFalse();
		assertThat(UnrecordedReports.infrastructure(new NullPointerException())).isFalse();
	}

	@Test
	void aReportGoesAtItsLastTryAndTriesOfMailsNoLongerSeenAreForgotten() {
		UnrecordedReports reports = new UnrecordedReports();
		for (int i = 1; i < UnrecordedReports.MAX_TRIES; i++) {
			assertThat(reports.failed("1:7")).as("try " + i).isFalse();
		}
		assertThat(reports.failed("1:7")).isTrue();

		reports.failed("1:8");
		reports.keepOnly(Set.of());
		for (int i = 1; i < UnrecordedReports.MAX_TRIES; i++) {
			assertThat(reports.failed("1:8")).as("try " + i + " after it was gone").isFalse();
		}
	}

}
