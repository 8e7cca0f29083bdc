package io.mailferry.config;

import io.mailferry.mail.Secret;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secrets of the accounts this process works on, kept in memory only, keyed by account
 * (user@host:port). Job parameters name the account; the secret is looked up here at login.
 */
public final class Credentials {

  private final Map<String, Secret> secrets = new ConcurrentHashMap<>();

  public void put(String account, Secret secret) {
    secrets.put(account, secret);
  }

  public void putAll(Credentials other) {
    secrets.putAll(other.secrets);
  }

  public Secret get(String account) {
    Secret secret = secrets.get(account);
    if (secret == null) {
      throw new io.mailferry.mail.MailferryException.BadConfiguration(
          "No password was given for " + account + ".");
    }
    return secret;
  }
}
