#include "framewriter.h"
