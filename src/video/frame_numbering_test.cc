// Tests of the frame numbering behind skip-decoding (frame_numbering.h), on synthetic timestamps.
#include "video/frame_numbering.h"

#include <gtest/gtest.h>

#include <span>
#include <vector>

namespace takedown::video {
namespace {

// ---------------------------------------------------------------------------------------------
// The frame numbering behind skip-decoding (synthetic timestamps)

using internal::FrameNumberer;

TEST(FrameNumbering, PlainCountingWithoutSkips) {
  FrameNumberer n(3);
  // Decode order I P B B (pts 0 3 1 2): output in pts order.
  for (const int64_t pts : {0, 3, 1, 2}) n.Sent(pts, false);
  EXPECT_EQ(n.Output(0), 0);
  EXPECT_EQ(n.Output(1), 1);
  EXPECT_EQ(n.Output(2), 2);
  EXPECT_EQ(n.Output(3), 3);
  EXPECT_TRUE(n.Finish());
  EXPECT_EQ(n.frame_count(), 4);
  EXPECT_FALSE(n.skipped_any());
}

TEST(FrameNumbering, DiscardedFramesKeepTheirNumbers) {
  FrameNumberer n(4);
  n.Sent(0, false);
  EXPECT_EQ(n.Output(0), 0);
  // Decode order: P(4) B(2) b(1) b(3) P(8) b(5) B(6) b(7), lookahead included.
  const std::vector<int64_t> order = {4, 2, 1, 3, 8, 6, 5, 7};
  std::vector<bool> skip(order.size());
  for (size_t i = 0; i < order.size(); ++i) {
    skip[i] = n.MaySkip(order[i], std::span(order).subspan(i + 1));
    n.Sent(order[i], skip[i]);
  }
  // Frames 4 and 8 are sampled (mod 4): never sent with the discard.
  EXPECT_FALSE(skip[0]);
  EXPECT_FALSE(skip[4]);
  EXPECT_TRUE(skip[2]);
  // The decoder discarded 1, 3, 5 and 7 (non-reference); 2 and 6 were references.
  EXPECT_EQ(n.Output(2), 2);
  EXPECT_EQ(n.Output(4), 4);
  EXPECT_EQ(n.Output(6), 6);
  EXPECT_EQ(n.Output(8), 8);
  EXPECT_TRUE(n.Finish());
  EXPECT_EQ(n.frame_count(), 9);
  EXPECT_EQ(n.discarded(), 4);
}

TEST(FrameNumbering, InconsistenciesAfterSkippingBreakIt) {
  {
    FrameNumberer n(10);
    n.Sent(0, false);
    n.Output(0);
    n.Sent(1, false);
    n.Sent(2, true);
    EXPECT_EQ(n.Output(2), -1);  // frame 1, decoded normally, never came out
    EXPECT_TRUE(n.broken());
  }
  {
    FrameNumberer n(2);
    n.Sent(0, false);
    n.Output(0);
    n.Sent(1, true);
    n.Sent(2, true);  // wrongly predicted: frame 2 is sampled
    EXPECT_EQ(n.Output(1), 1);
    n.Sent(3, false);
    EXPECT_EQ(n.Output(3), -1);  // 2 was discarded although sampled
    EXPECT_TRUE(n.broken());
  }
  {
    FrameNumberer n(5);
    n.Sent(0, false);
    n.Output(0);
    n.Sent(1, true);
    n.Sent(FrameNumberer::kNoPts, false);  // no timestamp once skipping began
    EXPECT_TRUE(n.broken());
  }
  {
    FrameNumberer n(5);
    n.Sent(0, false);
    n.Output(0);
    n.Sent(2, false);
    n.Sent(1, true);
    EXPECT_EQ(n.Output(2), 2);
    EXPECT_EQ(n.Output(1), -1);  // out of order
  }
  {
    FrameNumberer n(5);
    n.Sent(0, false);
    n.Output(0);
    n.Sent(1, true);
    n.Sent(2, false);
    EXPECT_FALSE(n.Finish());  // frame 2 never came out
  }
}

TEST(FrameNumbering, NoTimestampsMeansNoSkipping) {
  FrameNumberer n(5);
  n.Sent(FrameNumberer::kNoPts, false);
  EXPECT_EQ(n.Output(FrameNumberer::kNoPts), 0);
  const int64_t later[] = {7};
  EXPECT_FALSE(n.MaySkip(3, later));
  n.Sent(FrameNumberer::kNoPts, false);
  EXPECT_EQ(n.Output(FrameNumberer::kNoPts), 1);
  EXPECT_TRUE(n.Finish());
}

}  // namespace
}  // namespace takedown::video
