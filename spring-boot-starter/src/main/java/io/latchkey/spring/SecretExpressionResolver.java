package io.latchkey.spring;

import static java.util.Objects.requireNonNull;

import io.latchkey.SecretRef;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanExpressionException;
import org.springframework.beans.factory.config.BeanExpressionContext;
import org.springframework.beans.factory.config.BeanExpressionResolver;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * The bean factory's expression resolver under the starter: evaluates {@code #{…}} exactly as the
 * factory's own, and keeps a secret out of the failure when an evaluation fails.
 *
 * <p>{@code @Value("#{'${partner.password}'.length()}")} pastes the resolved text into the
 * expression before it is parsed, so a parse or evaluation error quotes it (the expression, or a
 * fragment of it). When the expression or any message of the failure holds the whole text of a
 * secret read as text, this throws a {@link BeanExpressionException} that names the property and
 * the reference instead, with no cause.
 */
final class SecretExpressionResolver implements BeanExpressionResolver {
  private final BeanExpressionResolver delegate;
  private final LatchkeyRuntime runtime;

  SecretExpressionResolver(BeanExpressionResolver delegate, LatchkeyRuntime runtime) {
    this.delegate = requireNonNull(delegate, "delegate");
    this.runtime = requireNonNull(runtime, "runtime");
  }

  /**
   * Wraps the factory's expression resolver, unless there is none; for a bean factory
   * post-processor of the context, which runs once the context has set the resolver in its refresh,
   * after the starter prepared the context.
   */
  static void install(ConfigurableListableBeanFactory beanFactory, LatchkeyRuntime runtime) {
    BeanExpressionResolver current = beanFactory.getBeanExpressionResolver();
    if (current != null && !(current instanceof SecretExpressionResolver)) {
      beanFactory.setBeanExpressionResolver(new SecretExpressionResolver(current, runtime));
    }
  }

  @Override
  public Object evaluate(String value, BeanExpressionContext context) throws BeansException {
    try {
      return delegate.evaluate(value, context);
    } catch (RuntimeException e) {
      SecretRef ref = secretIn(value, e);
      if (ref == null) {
        throw e;
      }
      // A BeansException, as the failure it replaces: Spring then names the injection point.
      BeanExpressionException masked =
          new BeanExpressionException(
              "an expression that holds "
                  + runtime.described(ref)
                  + " could not be evaluated ("
                  + FailureTexts.root(e).getClass().getName()
                  + "); the expression is not shown, since it holds a secret");
      masked.setStackTrace(e.getStackTrace());
      throw masked;
    }
  }

  private SecretRef secretIn(String expression, Throwable failure) {
    List<String> texts = new ArrayList<>();
    texts.add(expression);
    texts.addAll(FailureTexts.of(failure));
    // The whole text only: an expression that failed holds what was pasted into it whole, and a
    // part of a secret in an expression of the application's own is not one.
    for (String text : texts) {
      SecretRef ref = runtime.secretWholeIn(text);
      if (ref != null) {
        return ref;
      }
    }
    return null;
  }
}
