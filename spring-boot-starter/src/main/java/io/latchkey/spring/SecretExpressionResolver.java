package io.latchkey.spring;

import static java.util.Objects.requireNonNull;

import io.latchkey.SecretRef;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanExpressionException;
import org.springframework.beans.factory.config.BeanExpressionContext;
import org.springframework.beans.factory.config.BeanExpressionResolver;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.Ordered;

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
   * Wraps the factory's expression resolver once the context has set it (in its refresh, after the
   * starter prepared the context), unless there is none.
   */
  static BeanFactoryPostProcessor installer(LatchkeyRuntime runtime) {
    return new Installer(runtime);
  }

  private static final class Installer implements BeanFactoryPostProcessor, Ordered {
    private final LatchkeyRuntime runtime;

    Installer(LatchkeyRuntime runtime) {
      this.runtime = runtime;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory)
        throws BeansException {
      BeanExpressionResolver current = beanFactory.getBeanExpressionResolver();
      if (current != null && !(current instanceof SecretExpressionResolver)) {
        beanFactory.setBeanExpressionResolver(new SecretExpressionResolver(current, runtime));
      }
    }

    @Override
    public int getOrder() {
      return Ordered.LOWEST_PRECEDENCE;
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
      List<String> names = runtime.propertyNames(ref);
      String subject =
          names.isEmpty()
              ? "the secret " + ref
              : "property " + String.join(", ", names) + " (secret " + ref + ")";
      // A BeansException, as the failure it replaces: Spring then names the injection point.
      BeanExpressionException masked =
          new BeanExpressionException(
              "an expression that holds "
                  + subject
                  + " could not be evaluated ("
                  + root(e).getClass().getName()
                  + "); the expression is not shown, since it holds a secret");
      masked.setStackTrace(e.getStackTrace());
      throw masked;
    }
  }

  private SecretRef secretIn(String expression, Throwable failure) {
    List<String> texts = new ArrayList<>();
    texts.add(expression);
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 32; t = t.getCause(), depth++) {
      texts.add(String.valueOf(t.getMessage()));
      for (Throwable suppressed : t.getSuppressed()) {
        texts.add(String.valueOf(suppressed));
      }
    }
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

  private static Throwable root(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }
}
