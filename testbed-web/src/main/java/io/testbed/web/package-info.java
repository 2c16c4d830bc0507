/**
 * The servlet and Spring web plumbing the services share (each service had its own copy before):
 * {@link io.testbed.web.ErrorPathFilter} here, the connection bounds in {@code tomcat}, the bearer token in
 * {@code security}. A service takes what it needs with {@code @Import} on its application class. Not kernel-api:
 * that module is the syscall ABI, and stays free of servlets and Spring.
 */
package io.testbed.web;
