// Shared entry point of every Boost.Test suite (one executable per pipeline stage).
#define BOOST_TEST_MODULE auditeql
#include <boost/test/unit_test.hpp>
