package org.pagerless.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;

/**
 * The provider clients (Twilio, Web Push) are made before the dispatcher's lanes start claiming: a due text, call or
 * push claimed before its client existed failed for good as "not configured" (seen in the fault-injection harness
 * after a kill -9 and restart with rows due). Observers of one event run in ascending {@code @Priority}; an observer
 * without one runs at {@code 2500}, after the dispatcher's {@code 50}.
 */
class ProviderClientsStartFirstTest {

    private static int startPriority(Class<?> bean) {
        for (Method m : bean.getDeclaredMethods()) {
            for (Parameter p : m.getParameters()) {
                if (p.getType() == StartupEvent.class && p.isAnnotationPresent(jakarta.enterprise.event.Observes.class)) {
                    Priority priority = p.getAnnotation(Priority.class);
                    return priority == null ? jakarta.interceptor.Interceptor.Priority.APPLICATION + 500 : priority.value();
                }
            }
        }
        throw new AssertionError(bean.getSimpleName() + " observes no StartupEvent");
    }

    @Test
    void twilioAndWebPushClientsAreMadeBeforeTheDispatcherClaims() {
        int dispatcher = startPriority(DeliveryDispatcher.class);
        assertThat(startPriority(TwilioSms.class)).isLessThan(dispatcher);
        assertThat(startPriority(WebPushSender.class)).isLessThan(dispatcher);
    }
}
