package io.latchkey.scan;

import java.util.List;

/**
 * Slack webhook URLs, which post to a channel without any other credential: {@code
 * hooks.slack.com/services/T…/B…/<24 characters>}, and the {@code workflows/} and {@code triggers/}
 * URLs of workflows. The documentation's {@code T00000000/B00000000/XXXXXXXX…} is not random and is
 * not reported.
 *
 * <p>The finding is the path after the kind; the host is public.
 */
final class SlackWebhookDetector implements Detector {
  private static final String HOST = "hooks.slack.com/";
  private static final String[] KINDS = {"services/", "workflows/", "triggers/"};
  private static final Chars.Set PATH = c -> Chars.isAlnum(c) || c == '/';

  @Override
  public List<String> keywords() {
    return List.of("hooks.slack.com");
  }

  @Override
  public List<Rule> rules() {
    return List.of(Rules.SLACK_WEBHOOK);
  }

  @Override
  public void detect(Window w, int keyword, int start, int end, Candidates out) {
    char[] t = w.chars;
    int n = w.length;
    if (!Chars.at(t, start, n, HOST)) {
      return;
    }
    int kindStart = start + HOST.length();
    for (String kind : KINDS) {
      if (!Chars.at(t, kindStart, n, kind)) {
        continue;
      }
      int pathStart = kindStart + kind.length();
      int pathEnd = Chars.run(t, pathStart, n, PATH, 200);
      while (pathEnd > pathStart && t[pathEnd - 1] == '/') {
        pathEnd--;
      }
      int lastSlash = pathEnd - 1;
      while (lastSlash >= pathStart && t[lastSlash] != '/') {
        lastSlash--;
      }
      int team =
          Chars.run(t, pathStart + 1, pathEnd, c -> Chars.isUpper(c) || Chars.isDigit(c), 16);
      if (lastSlash <= pathStart
          || t[pathStart] != 'T'
          || team - pathStart < 9
          || pathEnd - lastSlash - 1 < 20
          || Chars.entropy(t, lastSlash + 1, pathEnd) < 3.3
          || Placeholders.isInToken(t, lastSlash + 1, pathEnd)) {
        return;
      }
      out.add(Rules.SLACK_WEBHOOK, pathStart, pathEnd, Excerpts.labelled(HOST + kind));
      return;
    }
  }
}
