X=(a)#one
