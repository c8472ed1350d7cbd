X=(a)#two
