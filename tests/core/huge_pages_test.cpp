#include "tutti/huge_pages.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>
#include <vector>

namespace tutti {
namespace {

TEST(HugePageAllocatorTest, LargeBlocksAreHugePageAligned) {
  HugePageAllocator<uint64_t> alloc;
  size_t n = (kHugePageBytes * 3) / sizeof(uint64_t) + 5;  // not a whole number of pages
  uint64_t* block = alloc.allocate(n);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(block) % kHugePageBytes, 0u);
  block[0] = 1;
  block[n - 1] = 2;  // the last element is mapped
  EXPECT_EQ(block[0] + block[n - 1], 3u);
  alloc.deallocate(block, n);
}

TEST(HugePageAllocatorTest, VectorsGrowAcrossTheThresholdKeepingTheirContents) {
  std::vector<uint32_t, HugePageAllocator<uint32_t>> values;
  const uint32_t count = 3 * kHugePageBytes / sizeof(uint32_t);
  for (uint32_t i = 0; i < count; ++i) values.push_back(i);
  std::vector<uint32_t, HugePageAllocator<uint32_t>> moved = std::move(values);
  ASSERT_EQ(moved.size(), count);
  uint64_t sum = std::accumulate(moved.begin(), moved.end(), uint64_t{0});
  EXPECT_EQ(sum, uint64_t{count} * (count - 1) / 2);
  moved.shrink_to_fit();
  moved.resize(10);
  moved.shrink_to_fit();  // back below the threshold: from operator new
  EXPECT_EQ(moved[9], 9u);
}

TEST(HugePageAllocatorTest, AnImpossibleSizeThrows) {
  HugePageAllocator<uint64_t> alloc;
  EXPECT_THROW(alloc.allocate(SIZE_MAX / 4), std::bad_array_new_length);
}

}  // namespace
}  // namespace tutti
