// The mail tests' shared macro, for smtp_test_util.h and inbound_imap_test.cc: starting a real
// server on loopback (mail/testing/).
#pragma once

#include <gtest/gtest.h>

#include <utility>

#include "mail/testing/smtp_server.h"

// A server the test needs: skipped where it cannot run, but failed under CI=true.
#define START_OR_SKIP(var, expr)                             \
  auto var##_result = (expr);                                \
  if (!var##_result.ok()) {                                  \
    if (::takedown::notify::testing::SmtpServer::Required()) \
      FAIL() << var##_result.status().message();             \
    GTEST_SKIP() << var##_result.status().message();         \
  }                                                          \
  auto var = std::move(var##_result.value())
