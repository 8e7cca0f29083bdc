package io.mailferry.mail;

/**
 * Where a password or OAuth2 token comes from. Read at every login (an OAuth2 token expires, and a
 * password command may hand out a fresh one); the value is never stored by mailferry.
 */
@FunctionalInterface
public interface Secret {

  String read();
}
